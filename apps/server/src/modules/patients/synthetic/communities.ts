// Synthetic test data, not reference data. Common Indian given and family names typed by us (a name is a
// fact, not a copyrighted work), grouped by the naming conventions of a region or community, with the
// states where that convention is common and the language people there usually prefer at the desk.
// Family names carry rough weights (Sharma is commoner than Saxena); given names are equally likely.

import { type State, states } from './places';
import type { Weighted } from './random';

/**
 * How a community usually writes a name:
 * - given-family: Rajesh Kumar Sharma (an optional middle from `middles`)
 * - given-father-family: Sachin Ramesh Patil, Hetal Kantilal Shah (middle is the father's or husband's name)
 * - initial-given: K. Ramesh, or Ramesh Krishnan (the father's name as the last name)
 * - initial-given-family: K. Srinivasa Rao, V. Lakshmi Reddy (house-name initial before the given name)
 * - sikh: Gurpreet Singh Gill, Harpreet Kaur, Manpreet Singh
 * - muslim: Mohammed Irfan Khan, Md. Salim, Nazia Begum
 */
export type NamingStyle =
  | 'given-family'
  | 'given-father-family'
  | 'initial-given'
  | 'initial-given-family'
  | 'sikh'
  | 'muslim';

export type Community = {
  id: string;
  style: NamingStyle;
  language: string;
  homeStates: Weighted<State>;
  male: readonly string[];
  female: readonly string[];
  family: Weighted<string>;
  /** Middle names used with given-family: [name, probability] per sex. */
  middles?: {
    male?: Weighted<string>;
    female?: Weighted<string>;
    probability: { male: number; female: number };
  };
  /** Father's names, for the initial-given style written out in full ("Ramesh Krishnan"). */
  fathers?: readonly string[];
};

/** "Rajesh, Ramesh, Om Prakash" -> ['Rajesh', 'Ramesh', 'Om Prakash']. */
function names(text: string): readonly string[] {
  return text
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
}

/** "Sharma: 10, Verma: 6" -> [['Sharma', 10], ['Verma', 6]]. */
function weights(text: string): Weighted<string> {
  return names(text).map((entry) => {
    const at = entry.lastIndexOf(':');
    const weight = Number(entry.slice(at + 1));
    if (at < 0 || !(weight > 0)) throw new Error(`"${entry}" is not "Name: weight"`);
    return [entry.slice(0, at).trim(), weight] as const;
  });
}

function stateWeights(text: string): Weighted<State> {
  return weights(text).map(([name, weight]) => {
    if (!(states as readonly string[]).includes(name)) throw new Error(`${name} is not in places.ts`);
    return [name as State, weight] as const;
  });
}

export const communities: readonly Community[] = [
  {
    id: 'hindi-belt',
    style: 'given-family',
    language: 'Hindi',
    homeStates: stateWeights(
      `Uttar Pradesh: 10, Bihar: 6, Delhi: 4, Rajasthan: 4, Madhya Pradesh: 4, Haryana: 2`,
    ),
    male: names(`
      Rajesh, Ramesh, Suresh, Mahesh, Dinesh, Rakesh, Sanjay, Vijay, Amit, Anil, Sunil, Manoj, Pankaj,
      Deepak, Ashok, Rahul, Rohit, Ankit, Vikas, Vivek, Ajay, Arun, Ravi, Sandeep, Pradeep, Naveen,
      Gaurav, Saurabh, Abhishek, Aditya, Aarav, Vihaan, Krishna, Shyam, Ram, Mohan, Hari, Om Prakash,
      Ved Prakash, Ramesh Chandra, Shiv, Alok, Nitin, Yogesh, Mukesh, Brijesh, Santosh, Satish, Umesh,
      Kamlesh, Lalit, Harish, Jitendra, Dharmendra, Virendra, Surendra, Rajendra, Narendra, Ishaan,
      Aryan, Kunal, Tarun`),
    female: names(`
      Sunita, Anita, Kavita, Savita, Geeta, Seema, Neha, Pooja, Priya, Anjali, Rekha, Meena, Suman, Asha,
      Usha, Kiran, Nisha, Shweta, Ritu, Preeti, Sarita, Kamla, Shanti, Sushila, Ananya, Aadhya, Diya,
      Saanvi, Laxmi, Lakshmi, Sita, Radha, Manju, Poonam, Rani, Sapna, Shikha, Swati, Sonia, Rashmi,
      Pinki, Guddi, Mamta, Nirmala, Pushpa, Urmila, Vimla, Kusum, Ishita, Kritika, Shreya, Payal, Jyoti,
      Aarti, Renu`),
    family: weights(`
      Sharma: 10, Verma: 6, Gupta: 7, Yadav: 8, Singh: 10, Chauhan: 3, Tiwari: 4, Mishra: 5, Pandey: 5,
      Shukla: 3, Dubey: 3, Srivastava: 4, Agarwal: 4, Jain: 3, Saxena: 2, Tripathi: 3, Chaudhary: 4,
      Rajput: 2, Thakur: 2, Kushwaha: 2, Maurya: 2, Rathore: 2, Bansal: 2, Goel: 2, Mittal: 2, Kumar: 6,
      Prasad: 4, Jha: 3, Sinha: 3, Paswan: 2, Meena: 2, Jat: 1, Rawat: 2, Bhardwaj: 2, Dwivedi: 2,
      Chaturvedi: 1, Soni: 2, Khatri: 1`),
    middles: {
      male: weights('Kumar: 8, Prasad: 2, Lal: 1, Chand: 1, Nath: 1'),
      female: weights('Devi: 6, Kumari: 4, Rani: 1'),
      probability: { male: 0.3, female: 0.25 },
    },
  },
  {
    id: 'punjabi',
    style: 'given-family',
    language: 'Hindi',
    homeStates: stateWeights(`Punjab: 3, Delhi: 4, Haryana: 2`),
    male: names(`
      Rajiv, Sunil, Vikram, Rohit, Karan, Arjun, Sanjeev, Vinod, Ashwani, Naresh, Varun, Kapil, Sahil,
      Mohit, Deepak`),
    female: names(`
      Neelam, Renu, Simran, Shalini, Monika, Nidhi, Ritika, Kiran, Anju, Tanvi, Meenakshi, Pallavi`),
    family: weights(`
      Kapoor: 5, Malhotra: 5, Khanna: 5, Arora: 6, Bhatia: 4, Sethi: 3, Chopra: 4, Mehra: 3, Ahuja: 3,
      Batra: 2, Sachdeva: 2, Kohli: 2, Anand: 2, Suri: 1`),
  },
  {
    id: 'sikh',
    style: 'sikh',
    language: 'Punjabi',
    homeStates: stateWeights(`Punjab: 10, Haryana: 2, Delhi: 2`),
    male: names(`
      Gurpreet, Harpreet, Manpreet, Jaspreet, Harjit, Gurdeep, Amarjit, Balwinder, Kuldeep, Jasbir,
      Sukhwinder, Paramjit, Ranjit, Inderjit, Navjot, Simranjeet, Harmeet, Gurmeet, Jagdeep, Lakhwinder,
      Daljit, Baldev, Gurcharan, Jaswant, Ajit`),
    female: names(`
      Gurpreet, Harpreet, Manpreet, Jaspreet, Simran, Navneet, Amandeep, Rupinder, Kulwinder, Baljit,
      Harjinder, Paramjit, Gurleen, Jasleen, Navjot, Sukhjeet, Rajwinder, Manjit`),
    family: weights(`
      Gill: 5, Sandhu: 5, Sidhu: 5, Dhillon: 4, Grewal: 3, Brar: 3, Bajwa: 2, Randhawa: 2, Virk: 2,
      Chahal: 2, Aulakh: 2, Bedi: 1, Bhullar: 2, Mann: 2`),
  },
  {
    id: 'kannada',
    style: 'given-family',
    language: 'Kannada',
    homeStates: stateWeights(`Karnataka: 1`),
    male: names(`
      Manjunath, Nagaraj, Ramesh, Suresh, Basavaraj, Shivakumar, Prakash, Ravi, Raghavendra, Mahesh,
      Santosh, Girish, Harish, Chandrashekar, Puneeth, Srinivas, Venkatesh, Mallikarjun, Siddaraju,
      Lokesh, Naveen, Kiran, Darshan, Yash, Chethan, Praveen, Umesh, Shankar, Rajanna, Krishnappa,
      Hanumantha, Eshwar, Vinay, Sudeep, Anand`),
    female: names(`
      Lakshmi, Savitha, Shilpa, Kavya, Pavithra, Rashmi, Deepa, Shobha, Manjula, Sowmya, Bhagya, Asha,
      Nandini, Roopa, Geetha, Sumitra, Shwetha, Ambika, Jayamma, Gowramma, Nagamma, Lalitha, Vidya,
      Chaitra, Spoorthi, Apoorva, Bhavya, Ramya, Sahana, Veena`),
    family: weights(`
      Gowda: 12, Shetty: 5, Hegde: 3, Rao: 5, Patil: 4, Naik: 3, Bhat: 4, Kulkarni: 2, Reddy: 3,
      Murthy: 3, Kumar: 6, Swamy: 3, Prasad: 2, Shastri: 1, Achar: 1, Poojary: 2, Nayak: 2, Desai: 1,
      Hiremath: 2, Kamath: 1`),
    middles: {
      male: weights('Kumar: 3, B.: 1, M.: 1, S.: 1'),
      female: weights('Devi: 1, M.: 1, K.: 1'),
      probability: { male: 0.15, female: 0.08 },
    },
  },
  {
    id: 'tamil',
    style: 'initial-given',
    language: 'Tamil',
    homeStates: stateWeights(`Tamil Nadu: 1`),
    male: names(`
      Murugan, Senthil, Karthik, Saravanan, Ganesan, Rajendran, Selvam, Kumar, Arun, Vignesh, Prakash,
      Balaji, Dinesh, Ramesh, Suresh, Manikandan, Palani, Subramanian, Venkatesh, Anand, Sathish, Prabhu,
      Gopal, Elango, Kathiresan, Pandian, Raja, Velu, Sivakumar, Muthukumar, Ashwin, Hari, Surya, Vetri,
      Kannan`),
    female: names(`
      Lakshmi, Meena, Priya, Kavitha, Revathi, Saranya, Divya, Deepa, Vasanthi, Selvi, Malathi, Jayanthi,
      Kalaiselvi, Anitha, Sangeetha, Gayathri, Padma, Valli, Chitra, Tamilselvi, Mahalakshmi, Sumathi,
      Indira, Kamala, Parvathi, Janaki, Nithya, Keerthana, Harini, Dharani, Pooja, Shalini, Vijaya, Rani,
      Muthulakshmi`),
    family: weights(`
      Iyer: 3, Iyengar: 2, Pillai: 3, Mudaliar: 2, Chettiar: 2, Nadar: 2, Gounder: 2`),
    fathers: names(`
      Krishnan, Raman, Natarajan, Subramanian, Venkatesan, Rajagopal, Sundaram, Srinivasan,
      Balasubramanian, Ramasamy, Muthu, Arumugam, Shanmugam, Perumal, Kandasamy, Murugesan, Govindan,
      Sekar, Palanisamy, Ramalingam, Duraisamy, Chinnasamy, Thangaraj, Mani`),
  },
  {
    id: 'telugu',
    style: 'initial-given-family',
    language: 'Telugu',
    homeStates: stateWeights(`Andhra Pradesh: 5, Telangana: 4`),
    male: names(`
      Srinivas, Venkat, Ravi, Suresh, Naresh, Ramesh, Mahesh, Prasad, Rajesh, Kiran, Chandra Sekhar,
      Venkateswarlu, Satyanarayana, Nagaraju, Sai Kumar, Praveen, Anil, Srikanth, Ramana, Subba Rao,
      Koteswara, Vamsi, Harsha, Chaitanya, Pavan, Rambabu, Appa Rao, Narayana, Sudhakar, Madhu`),
    female: names(`
      Lakshmi, Padmavathi, Swathi, Sravani, Bhavani, Sirisha, Lavanya, Madhavi, Anusha, Sujatha, Radha,
      Jyothi, Durga, Vani, Sailaja, Aruna, Kalyani, Ramadevi, Annapurna, Satyavathi, Mounika, Sowjanya,
      Haritha, Sunitha, Vijaya Lakshmi, Parvathi, Suneetha, Manasa`),
    family: weights(`
      Reddy: 10, Naidu: 6, Rao: 10, Chowdary: 4, Varma: 2, Raju: 3, Goud: 3, Yadav: 2, Sharma: 1,
      Setty: 2, Babu: 2, Devi: 2`),
  },
  {
    id: 'malayali',
    style: 'given-family',
    language: 'Malayalam',
    homeStates: stateWeights(`Kerala: 1`),
    male: names(`
      Suresh, Rajesh, Anil, Sunil, Biju, Shaji, Saji, Manoj, Pradeep, Vinod, Sreejith, Arjun, Vishnu,
      Akhil, Rahul, Unnikrishnan, Gopakumar, Sreekumar, Ajith, Harikrishnan, Anoop, Sanjay, Midhun,
      Nikhil, Vineeth, Krishnakumar, Ramachandran, Sasidharan`),
    female: names(`
      Lakshmi, Sreeja, Divya, Anjali, Bindu, Sindhu, Reshma, Priya, Sreelakshmi, Aswathy, Athira, Meera,
      Geetha, Lekha, Remya, Soumya, Deepthi, Sreedevi, Ambili, Sumangala, Kamalam, Devika, Gopika,
      Parvathy, Anupama, Jayasree, Chithra, Sheela`),
    family: weights(`
      Nair: 12, Menon: 6, Pillai: 6, Kurup: 3, Nambiar: 3, Panicker: 2, Warrier: 2, Namboothiri: 1,
      Kumar: 4, Das: 2, Krishnan: 3, Gopalan: 2, Raghavan: 2, Madhavan: 2, Unni: 1`),
  },
  {
    id: 'kerala-christian',
    style: 'given-family',
    language: 'Malayalam',
    homeStates: stateWeights(`Kerala: 1`),
    male: names(`
      Joseph, Thomas, Mathew, Jose, Biju, Jijo, Tinu, Sabu, Babu, Jacob, George, Sunny, Shibu, Anish,
      Jobin, Tony, Abin, Jomon, Kuriakose, Varghese, Philip, Sebastian`),
    female: names(`
      Mariamma, Annamma, Elizabeth, Mary, Sherin, Jincy, Ancy, Reena, Liji, Susan, Rosamma, Aleyamma,
      Treesa, Jisha, Neethu, Anu, Merin, Teena, Sini, Beena`),
    family: weights(`
      Thomas: 8, George: 7, Mathew: 7, Joseph: 7, Varghese: 6, Kurian: 4, Chacko: 4, Abraham: 4,
      Jacob: 4, John: 4, Philip: 3, Cherian: 3, Antony: 3, Paul: 3, Sebastian: 2, Eapen: 1, Oommen: 1`),
  },
  {
    id: 'marathi',
    style: 'given-father-family',
    language: 'Marathi',
    homeStates: stateWeights(`Maharashtra: 12, Goa: 1, Karnataka: 1`),
    male: names(`
      Sachin, Rahul, Sanjay, Santosh, Ganesh, Mahesh, Prashant, Nitin, Sunil, Vijay, Amol, Swapnil,
      Tushar, Sagar, Vaibhav, Omkar, Dnyaneshwar, Vitthal, Dattatray, Suhas, Ajinkya, Aniket, Rohan,
      Shrikant, Vilas, Balasaheb, Pandurang, Sudhir, Ramesh, Dilip, Yashwant`),
    female: names(`
      Sunita, Manisha, Swati, Priyanka, Pooja, Snehal, Ashwini, Vaishali, Supriya, Shubhangi, Savita,
      Jyoti, Madhuri, Rupali, Sarika, Archana, Mangala, Sulbha, Shalini, Prajakta, Rutuja, Sayali, Gauri,
      Ujwala, Anjali, Vandana, Shobha, Kalpana`),
    family: weights(`
      Patil: 12, Deshmukh: 5, Jadhav: 7, Pawar: 6, Shinde: 6, Kulkarni: 5, Joshi: 5, Deshpande: 4,
      Gaikwad: 4, Kale: 3, More: 4, Chavan: 5, Bhosale: 4, Salunkhe: 2, Kamble: 4, Sawant: 3, Naik: 2,
      Mane: 3, Wagh: 2, Thakare: 2, Gokhale: 1, Apte: 1, Khandekar: 1, Phadke: 1`),
  },
  {
    id: 'gujarati',
    style: 'given-father-family',
    language: 'Gujarati',
    homeStates: stateWeights(`Gujarat: 10, Maharashtra: 2`),
    male: names(`
      Rajesh, Jignesh, Hitesh, Paresh, Mukesh, Kalpesh, Nilesh, Bhavesh, Ketan, Chirag, Hardik, Dhaval,
      Parth, Mehul, Nirav, Jayesh, Bharat, Dilip, Kishore, Pravin, Harsh, Manish, Yogesh, Sanjay, Tejas,
      Darshan`),
    female: names(`
      Hetal, Nisha, Komal, Falguni, Bhavna, Jyotsna, Dipti, Pinal, Krupa, Heena, Urvashi, Hemlata,
      Daksha, Bhumi, Rekha, Kokila, Manisha, Jagruti, Nayna, Sejal, Khushbu, Riddhi, Dhara, Mitali`),
    family: weights(`
      Shah: 10, Patel: 14, Mehta: 5, Desai: 4, Joshi: 3, Trivedi: 3, Parikh: 3, Modi: 2, Gandhi: 2,
      Thakkar: 3, Chauhan: 2, Parmar: 3, Solanki: 3, Vyas: 2, Bhatt: 3, Pandya: 2, Soni: 2, Dave: 2,
      Rana: 1, Vaghela: 2, Panchal: 2`),
    fathers: names(`
      Kantilal, Ramanlal, Natvarlal, Hasmukhbhai, Jayantilal, Mansukhlal, Dhirajlal, Chandrakant,
      Pravinbhai, Rameshbhai, Maganlal, Chimanlal, Babubhai, Ashokbhai, Dineshbhai, Kiritbhai`),
  },
  {
    id: 'bengali',
    style: 'given-family',
    language: 'Bengali',
    homeStates: stateWeights(`West Bengal: 12, Assam: 1`),
    male: names(`
      Sourav, Subhajit, Arijit, Debashis, Partha, Tapas, Sanjib, Biswajit, Amit, Anirban, Abhijit,
      Pranab, Sukanta, Dipankar, Rana, Subrata, Gautam, Ashim, Tanmoy, Indranil, Arnab, Soumya, Kaushik,
      Sujoy, Prosenjit, Bikash, Swapan, Tarun, Nirmal, Ayan`),
    female: names(`
      Moumita, Sharmila, Suchitra, Rupa, Mitali, Paromita, Rituparna, Tanushree, Piyali, Sutapa, Mousumi,
      Soma, Ananya, Sreya, Debjani, Sumana, Madhumita, Kakali, Jayashree, Shampa, Rina, Tumpa, Puja,
      Arpita, Sudeshna, Chandana, Bulbul, Mitra`),
    family: weights(`
      Das: 10, Banerjee: 6, Chatterjee: 6, Mukherjee: 6, Bose: 4, Ghosh: 7, Sen: 4, Roy: 7, Dutta: 5,
      Chakraborty: 6, Sarkar: 5, Mondal: 5, Saha: 4, Bhattacharya: 5, Ganguly: 3, Biswas: 5, Paul: 3,
      Majumdar: 3, Haldar: 2, Pal: 3, Basu: 2, Mitra: 2, Guha: 1, Nandi: 1, Dey: 4, Kundu: 2`),
    middles: {
      male: weights('Kumar: 3, Chandra: 2, Nath: 1, Ranjan: 1'),
      female: weights('Rani: 1'),
      probability: { male: 0.15, female: 0.04 },
    },
  },
  {
    id: 'odia',
    style: 'given-family',
    language: 'Odia',
    homeStates: stateWeights(`Odisha: 1`),
    male: names(`
      Sanjay, Prasanta, Debasis, Manas, Sushant, Bikash, Ashok, Pradeep, Ranjan, Subrat, Soumya,
      Jagannath, Sudhansu, Pravat, Sarat, Niranjan, Chittaranjan, Biswanath, Tapan, Bijay, Satyabrata,
      Smruti Ranjan`),
    female: names(`
      Sasmita, Sabita, Mamata, Bijayalaxmi, Sunita, Rashmita, Pragyan, Lipsa, Jyotirmayee, Smruti,
      Sanghamitra, Namita, Bandana, Kalpana, Sujata, Pravati, Itishree, Subhashree`),
    family: weights(`
      Mohanty: 7, Das: 7, Patnaik: 4, Mishra: 4, Sahoo: 6, Behera: 6, Nayak: 5, Panda: 4, Swain: 4,
      Jena: 4, Pradhan: 5, Rout: 4, Mohapatra: 4, Parida: 3, Sethi: 2, Samal: 2, Biswal: 2, Dash: 3,
      Senapati: 1, Tripathy: 2`),
    middles: {
      male: weights('Kumar: 3, Ranjan: 1, Prasad: 1'),
      female: weights('Kumari: 1'),
      probability: { male: 0.2, female: 0.05 },
    },
  },
  {
    id: 'assamese',
    style: 'given-family',
    language: 'Assamese',
    homeStates: stateWeights(`Assam: 1`),
    male: names(`
      Pranjal, Bhaskar, Rituraj, Dipankar, Jintu, Rupam, Hemanta, Bhupen, Nayan, Manash, Kamal, Utpal,
      Jayanta, Pankaj, Mridul, Dhruba`),
    female: names(`
      Bidisha, Pallavi, Jyotishmita, Priyanka, Kakoli, Nilakshi, Barnali, Dipsikha, Rupjyoti, Mousumi,
      Anamika, Chayanika, Gitanjali, Junmoni`),
    family: weights(`
      Bora: 6, Gogoi: 5, Saikia: 5, Baruah: 5, Kalita: 5, Hazarika: 3, Das: 4, Deka: 4, Sharma: 3,
      Borah: 3, Phukan: 2, Dutta: 2, Nath: 3, Choudhury: 2`),
  },
  {
    id: 'muslim',
    style: 'muslim',
    language: 'Urdu',
    homeStates: stateWeights(
      `Uttar Pradesh: 8, Bihar: 4, West Bengal: 4, Kerala: 3, Maharashtra: 4, Telangana: 3, Karnataka: 3, Gujarat: 2, Delhi: 2, Assam: 2, Rajasthan: 1, Madhya Pradesh: 1`,
    ),
    male: names(`
      Imran, Salman, Irfan, Arif, Asif, Faisal, Rizwan, Shahid, Javed, Naveed, Sameer, Aamir, Zaid,
      Ayaan, Ibrahim, Yusuf, Iqbal, Rafiq, Nawaz, Anwar, Rashid, Salim, Shakeel, Wasim, Nadeem, Sohail,
      Tariq, Zubair, Akram, Junaid, Basheer, Abdul Rahman, Abdul Kareem, Abdul Majeed, Ismail, Hamid,
      Jameel, Mustafa, Farhan, Arshad`),
    female: names(`
      Fatima, Ayesha, Zainab, Nazia, Farheen, Shabana, Rukhsar, Sana, Nasreen, Heena, Tabassum, Shaheen,
      Rubina, Parveen, Salma, Noor, Mehnaz, Zoya, Aafreen, Sultana, Firdaus, Shazia, Asma, Yasmin,
      Khadija, Mumtaz, Rehana, Shagufta, Amina, Saira`),
    family: weights(`
      Khan: 14, Shaikh: 8, Ansari: 7, Qureshi: 5, Siddiqui: 5, Syed: 4, Pathan: 4, Mirza: 2, Hussain: 5,
      Ahmed: 6, Ali: 6, Rahman: 4, Malik: 3, Mansoori: 2, Kazi: 2, Beg: 2, Alam: 3, Akhtar: 2, Sayyed: 2,
      Momin: 1, Farooqui: 1`),
  },
  {
    id: 'goan-mangalorean-christian',
    style: 'given-family',
    language: 'Konkani',
    homeStates: stateWeights(`Goa: 6, Karnataka: 3, Maharashtra: 3`),
    male: names(`
      Anthony, Francis, Joseph, Peter, Paul, Agnelo, Savio, Joaquim, Ronald, Melwyn, Wilfred, Clifford,
      Lawrence, Vincent, Allwyn, Rohan, Neil, Dominic, Stanley, Felix`),
    female: names(`
      Maria, Anita, Flavia, Lorraine, Cynthia, Pearl, Sheryl, Jennifer, Sandra, Gladys, Rita, Priya,
      Shirley, Agnes, Philomena, Lavina, Prema, Joyce, Lydia, Stella, Veronica`),
    family: weights(`
      D'Souza: 10, Fernandes: 10, Pereira: 5, Rodrigues: 6, Pinto: 4, Gomes: 4, Dias: 3, Lobo: 3,
      D'Mello: 3, Noronha: 2, Menezes: 3, Coutinho: 2, Sequeira: 3, D'Costa: 4, Saldanha: 2, Colaco: 1,
      Furtado: 2, Almeida: 2, Vaz: 2`),
  },
];

/** Initials as written before a South Indian given name ("K. Ramesh"). */
export const initials = [
  'A',
  'B',
  'C',
  'D',
  'G',
  'J',
  'K',
  'L',
  'M',
  'N',
  'P',
  'R',
  'S',
  'T',
  'V',
  'Y',
] as const;

/**
 * How the same name reaches the desk in Latin script. The generator writes a variant instead of the
 * first spelling now and then; the demo's near-duplicates and the benchmark's misspelt queries use them too.
 */
export const spellingVariants: readonly (readonly string[])[] = `
  Lakshmi, Laxmi, Lakshmy
  Srinivas, Sreenivas, Shrinivas, Srinivasa
  Mohammed, Mohammad, Muhammad, Mohamed, Mohd
  Chaudhary, Choudhury, Chowdhury, Choudhary, Chaudhari
  Shaikh, Sheikh, Shaik
  Qureshi, Quraishi, Kureshi
  Hussain, Husain, Hussein
  Ahmed, Ahmad
  Dutta, Datta
  Bose, Basu
  Gautam, Goutam
  Patnaik, Pattnaik, Pattanaik
  Sreya, Shreya
  Jyoti, Jyothi
  Kavita, Kavitha
  Sunita, Sunitha
  Anita, Anitha
  Geeta, Geetha, Gita
  Savita, Savitha
  Shweta, Shwetha, Sweta
  Chandrashekar, Chandrasekhar, Chandrasekar
  Naidu, Nayudu
  Chowdary, Chowdhary
  Reddy, Reddi
  Iyer, Aiyar
  Pillai, Pillay
  Shetty, Setty
  Bhattacharya, Bhattacharjee, Bhattacharyya
  Chakraborty, Chakrabarti, Chakravarty
  Mukherjee, Mukherji
  Banerjee, Banerji
  Chatterjee, Chatterji
  Srivastava, Shrivastava
  Agarwal, Agrawal, Aggarwal
  Chauhan, Chouhan
  Suresh, Sureshkumar
  Mahalakshmi, Mahalaxmi
  Vijayalakshmi, Vijayalaxmi
  Bijayalaxmi, Bijayalakshmi, Vijayalaxmi
  Fatima, Fathima
  Ayesha, Aisha, Ayisha
  Zainab, Zenab
  Rukhsar, Rukhsaar
  Pooja, Puja
  Deepa, Dipa
  Pradeep, Pradip
  Sandeep, Sandip
  Dilip, Dileep
  Sourav, Saurav
  Subrata, Subroto
  Debashis, Debasish, Debasis
  Biswajit, Biswajeet
  Manpreet, Manprit
  Gurpreet, Gurprit
  D'Souza, Dsouza, De Souza, Desouza
  D'Costa, Dcosta, DaCosta
  D'Mello, Dmello, De Mello
  Pereira, Pereria, Perera
  Gowda, Gouda
  Joseph, Josef
  Mathew, Mathai, Matthew
  Varghese, Verghese, Varghis
  Baruah, Barua, Boruah
  Bora, Borah
`
  .trim()
  .split('\n')
  .map(names);
